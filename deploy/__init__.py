"""GPU memory planning and deployment files (vLLM launch scripts, SLURM jobs, an app profile) for a model fleet."""

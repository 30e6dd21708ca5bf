"""The floor: schemas, errors, settings, the model catalogue, prompt files and YAML loading. Imports nothing of the
project, so every other folder may build on it."""

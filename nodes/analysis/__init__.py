"""The analysis node: reads an executed workflow's results and writes figures and an HTML report.

locate.py finds the result files (report.json's plan + the modules' declared outputs), tables.py reads them, one
template module per analysis kind (de, peaks, variants, taxa, single_cell) computes the numbers and draws the
offline figures, llm_plots.py asks the analysis model for plotting code that runs sandboxed, node.py ties the
tiers together and html_report.py writes the report.
"""

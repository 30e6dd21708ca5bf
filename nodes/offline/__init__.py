"""The deterministic offline tier: what each node does when no model is reachable.

One module per concern (safety rules, intent and entities, the experts' offline answers, ...). Import the modules
directly; this package imports nothing, so that loading one node's tier never loads another's.
"""

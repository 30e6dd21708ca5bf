"""Links between the module library and the knowledge base: tool mentions to modules, plans to method notes.
They live with the nodes because they join two floors (library/ and rag/) that never import each other."""

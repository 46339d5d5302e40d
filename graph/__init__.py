"""The knowledge model: schema, records, the networkx knowledge graph, analysis, rendering
and exports. Imports nothing from ``loaders``, ``cypher`` or the CLI."""

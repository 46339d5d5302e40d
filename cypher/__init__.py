"""The Cypher query library (``*.cypher`` beside this file) and the two backends that store
the knowledge base and run queries: Neo4j (production) and Ladybug (embedded default)."""

"""Loaders: source documents and curated data files -> validated records -> knowledge base."""

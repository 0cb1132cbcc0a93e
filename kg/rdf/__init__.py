"""RDF stage: vocabulary, triples per article, the Oxigraph store, exports."""

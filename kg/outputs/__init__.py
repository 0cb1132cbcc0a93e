"""Outputs: SPARQL queries, exports, the networkx projection and the interactive page."""

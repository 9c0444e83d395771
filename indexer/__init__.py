"""Read news digests, segment them into passages and build and query a Whoosh index."""

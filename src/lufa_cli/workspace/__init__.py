"""Finding, loading and checking a workspace's data folder."""

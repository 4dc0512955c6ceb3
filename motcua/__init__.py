"""MộtCửa: the one-stop mechanism for administrative procedures."""

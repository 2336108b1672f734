"""Cluster Atlas: an offline atlas of school clusters for council research officers."""

__version__ = "0.1.0"
APP_NAME = "Cluster Atlas"

"""Shared by the bundled example implementations: import the adapter from the repository."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "python"))  # the package dir bestofn_protocol/

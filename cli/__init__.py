"""Command lines: argparse and print, thin clients of the library (kept out of data_access/)."""

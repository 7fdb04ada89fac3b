"""The command lines: argparse and printing live here, thin clients of the library."""

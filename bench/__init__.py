"""`python -m bench`: how long each page takes and how much memory the server needs.

Also the home of the machinery the tests share with the bench: the AppTest page harness
(`bench.harness`) and a live server driven by headless Chromium (`bench.live`).
"""

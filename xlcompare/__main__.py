from xlcompare.cli import run

run()

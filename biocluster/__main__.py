from biocluster.cli import cli

cli(prog_name="biocluster")

from biocluster_kg.cli import cli

cli(prog_name="biocluster")

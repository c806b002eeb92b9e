# Site helpers for the South Plant HMI project.
LINE = "Packaging"


def speedPath():
	return "[default]%s/Speed" % LINE

# Site helpers for the North Plant HMI project.
LINE = "Line1"


def speedPath():
	return "[default]%s/Speed" % LINE

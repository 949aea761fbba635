# a calibrated variant
base = xscale-pxa250
name = half

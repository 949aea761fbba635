# a calibrated varian?
base = xscale-pxa250
name = hipcomp.inflate_cycles_per_bytealf

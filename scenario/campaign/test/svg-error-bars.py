#!/usr/bin/env python3
"""Count the error bars gnuplot drew: in each plot's group of an SVG, the vertical strokes
("M x,y1 L x,y2", same x) must be at least the points of its data block whose interval has a
width, plus the key's sample; and some interval must have one, or the check would be empty.
Usage: svg-error-bars.py PLOT.svg DATA.dat; exit 1 with a message when bars are missing."""
import re
import sys
import xml.etree.ElementTree as ET

svg, dat = sys.argv[1], sys.argv[2]
blocks = [b for b in open(dat).read().split("\n\n\n") if b.strip()]
def wide(line):
    f = line.split()
    return len(f) == 4 and "NaN" not in f and float(f[2]) != float(f[3])


points = [sum(1 for l in b.splitlines() if wide(l)) for b in blocks]
if sum(points) == 0:
    sys.exit(f"{dat}: no interval has a width; nothing to check")
groups = [g for g in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}g")
          if g.get("id", "").startswith("gnuplot_plot_")]
if len(groups) != len(points):
    sys.exit(f"{svg}: {len(groups)} series drawn, {len(points)} in {dat}")
for i, (g, n) in enumerate(zip(groups, points)):
    d = " ".join(p.get("d", "") for p in g.iter("{http://www.w3.org/2000/svg}path"))
    bars = sum(1 for x1, x2 in re.findall(r"M([\d.]+),[\d.]+\s+L([\d.]+),[\d.]+", d) if x1 == x2)
    if bars < n + 1:
        sys.exit(f"{svg}: series {i + 1} has {bars} vertical error bar strokes, {n + 1} expected")
print(f"{svg}: error bars on all {sum(points)} points")

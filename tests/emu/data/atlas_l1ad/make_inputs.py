# Events for the ATLAS L1AD oracle comparison: the 44 int ports of Topo2A_AD_proj per line.
import random
random.seed(20261206)
IMIN, IMAX = -2**31, 2**31 - 1
edges = [0, 1, -1, IMIN, IMAX, IMIN + 1, IMAX - 1,
         2**18, 2**18 - 1, -2**18, -2**18 - 1, 2**20, 2**20 - 1, -2**20, -2**20 - 1,   # preshift ranges <27,19>, <30,21>
         2**17, -2**17, 2**19, -2**19, 2**21, -2**21, 2**24 + 1, -(2**24 + 1), 2**30, -2**30]
def physics():
    # L1Topo-like: pt, eta, phi triplets; met pt, phi
    out = []
    for i in range(14):
        out += [random.randint(0, 4096), random.randint(-200, 200), random.randint(0, 63)]
    return out + [random.randint(0, 8192), random.randint(0, 63)]
events = []
events.append([0] * 44)
for e in edges:
    events.append([e] * 44)
for _ in range(800):
    events.append(physics())
for _ in range(300):  # sparse: mostly zeros
    ev = [0] * 44
    for k in random.sample(range(44), random.randint(1, 6)):
        ev[k] = random.randint(-5000, 5000)
    events.append(ev)
for _ in range(300):  # full int range
    events.append([random.randint(IMIN, IMAX) for _ in range(44)])
for _ in range(300):  # around the preshift ranges, overflowing them
    events.append([random.choice([1, -1]) * random.randint(2**16, 2**22) for _ in range(44)])
for _ in range(300):  # edges mixed with physics
    ev = physics()
    for k in random.sample(range(44), random.randint(1, 10)):
        ev[k] = random.choice(edges)
    events.append(ev)
for _ in range(300):  # ties: multiples of powers of two (exact halves after the shifts and in later roundings)
    events.append([random.choice([1, -1]) * random.randint(0, 512) * 2 ** random.randint(0, 9) for _ in range(44)])
for _ in range(100):  # negative physics
    events.append([-abs(v) for v in physics()])
# inputs_all.txt: the 2426 events compared out of tree; inputs.txt (committed): the first 26 and
# every 6th after them, 426 events.
lines = [' '.join(str(v) for v in ev) for ev in events]
open('inputs_all.txt', 'w').write('\n'.join(lines) + '\n')
kept = list(range(26)) + list(range(26, len(lines), 6))
open('inputs.txt', 'w').write('\n'.join(lines[i] for i in kept) + '\n')
print(len(lines), len(kept))

"""Pairwise SNP distances and threshold clusters from an SNP alignment (FASTA).

Run by Snakemake's script: directive. A distance counts the columns where both sequences have A, C, G or T and they
differ (snp-dists' default: N, gaps and ambiguity codes are not differences). Clusters link isolates at most
`threshold` SNPs apart, transitively (single linkage, as outbreak SNP-threshold clustering does); each isolate is in
exactly one row of the cluster table, singletons included.
"""

from itertools import combinations

sm = snakemake  # noqa: F821 (defined by Snakemake)
ACGT = set("ACGT")

seqs: dict[str, str] = {}
name = None
for line in open(sm.input.snps):
    line = line.strip()
    if line.startswith(">"):
        name = line[1:].split()[0]
        seqs[name] = ""
    elif name is not None:
        seqs[name] += line.upper()
names = list(seqs)


def distance(a: str, b: str) -> int:
    return sum(x != y and x in ACGT and y in ACGT for x, y in zip(seqs[a], seqs[b]))


dist = {}
for a, b in combinations(names, 2):
    dist[a, b] = dist[b, a] = distance(a, b)
with open(sm.output.matrix, "w") as out:
    print("snp-dists", *names, sep="\t", file=out)
    for a in names:
        print(a, *(0 if a == b else dist[a, b] for b in names), sep="\t", file=out)

threshold = int(sm.params.threshold)
isolates = [n for n in names if n not in set(str(sm.params.exclude).split())]
parent = {n: n for n in isolates}


def root(n: str) -> str:
    while parent[n] != n:
        parent[n] = parent[parent[n]]
        n = parent[n]
    return n


for a, b in combinations(isolates, 2):
    if dist[a, b] <= threshold:
        parent[root(a)] = root(b)
groups: dict[str, list[str]] = {}
for n in isolates:
    groups.setdefault(root(n), []).append(n)
ordered = sorted(groups.values(), key=lambda g: (-len(g), isolates.index(g[0])))
with open(sm.output.clusters, "w") as out:
    print("cluster", "size", "members", "max_internal_snps", "min_snps_to_others", "threshold", sep="\t", file=out)
    for number, members in enumerate(ordered, 1):
        inside = [dist[a, b] for a, b in combinations(members, 2)]
        outside = [dist[a, b] for a in members for b in isolates if b not in members]
        print(f"C{number}" if len(members) > 1 else "singleton", len(members), ",".join(members),
              max(inside) if inside else 0, min(outside) if outside else "NA", threshold, sep="\t", file=out)
with open(sm.log[0], "w") as log:
    print(f"{len(names)} sequences, {len(next(iter(seqs.values()), ''))} SNP columns; "
          f"{sum(len(g) > 1 for g in ordered)} clusters at <= {threshold} SNPs", file=log)

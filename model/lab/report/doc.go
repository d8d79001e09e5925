// Package report reproduces Kim et al. 2021 over several untrained networks
// (experiment.Run per network) and writes a report directory: report.md (findings
// beside the papers, with the spread over networks), PNG figures drawn with
// gonum.org/v1/plot (stimulus examples, PN distribution against the monkey data,
// tuning curves on linear and log2 axes, sigma against PN with regression lines,
// comparison accuracy against distance, incongruent-trial accuracy), CSV tables of
// every number, and results.json with the headline figures.
//
// The files are rendered in memory, written into a temporary directory beside the
// target and then renamed into place (the whole directory when it does not exist,
// else file by file with report.md last), so a crash never leaves a half-written
// report.
//
// Defaults (3 networks, 10 images per cell, 4 per area cell, float comparison on 3
// images per cell of network 0, paper task sizes) took 7 minutes wall time (4 min
// 52 s CPU) with --dice on the shared 2-core host. The paper's scale,
// Networks 100 and Images 50, takes an estimated 5-6 minutes per network.
package report

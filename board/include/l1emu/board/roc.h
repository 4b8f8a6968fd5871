#pragma once
// ROC curve and AUC of a signal against the background, exactly from the score histograms.
//   TPR(T) = signal events with code >= T / signal events, FPR(T) = the same for the background.
//   AUC is the Mann-Whitney statistic with ties counted half: AUC = P(s > b) + 0.5 P(s = b) for a
//   random signal event s and background event b, computed in exact integer arithmetic:
//   AUC = sum_c S(c) (2 B(< c) + B(c)) / (2 n_s n_b). It equals the trapezoidal area under the ROC
//   curve through the points of every distinct code.
//   TPR at FPR = 1e-5 (the seed paper's working point): the TPR at the smallest integer threshold T
//   with FPR(T) <= 1e-5 (the threshold_finder.h rule applied to the fraction, no interpolation). With
//   fewer than 1e5 background events that T is above every background code (FPR = 0); `limited` says so.
#include <cstdint>
#include <vector>

#include "l1emu/board/score_histogram.h"

namespace l1emu::board {

inline constexpr double kWorkingPointFpr = 1e-5;

struct RocPoint {
  std::int64_t threshold = 0;  // events with code >= threshold pass
  double fpr = 0;
  double tpr = 0;
};

struct Roc {
  std::vector<RocPoint> points;  // decreasing threshold: from (0, 0) above every code to (1, 1) at the lowest
  double auc = 0;
  std::int64_t working_point_threshold = 0;
  double tpr_at_working_point = 0;
  double fpr_at_working_point = 0;
  bool limited = false;  // background has fewer than 1 / kWorkingPointFpr events
};

/// Throws std::invalid_argument when either histogram is empty.
[[nodiscard]] Roc compute_roc(const ScoreHistogram& signal, const ScoreHistogram& background,
                              double working_point_fpr = kWorkingPointFpr);

/// The Mann-Whitney AUC alone (as above).
[[nodiscard]] double mann_whitney_auc(const ScoreHistogram& signal, const ScoreHistogram& background);

}  // namespace l1emu::board

#include "l1emu/board/roc.h"

#include <limits>
#include <map>
#include <stdexcept>

namespace l1emu::board {
namespace {

// 128-bit sums: n_s x n_b can exceed 2^64 for samples of a few 10^9 events.
__extension__ using Uint128 = unsigned __int128;

struct Counts {
  std::uint64_t signal = 0;
  std::uint64_t background = 0;
};

std::map<std::int64_t, Counts> joint_bins(const ScoreHistogram& signal, const ScoreHistogram& background) {
  std::map<std::int64_t, Counts> joint;
  for (const auto& [code, n] : signal.nonzero_bins()) joint[code].signal = n;
  for (const auto& [code, n] : background.nonzero_bins()) joint[code].background = n;
  return joint;
}

void require_nonempty(const ScoreHistogram& signal, const ScoreHistogram& background) {
  if (signal.empty()) throw std::invalid_argument("ROC: empty signal sample");
  if (background.empty()) throw std::invalid_argument("ROC: empty background sample");
}

double auc_from(const std::map<std::int64_t, Counts>& joint, std::uint64_t ns, std::uint64_t nb) {
  Uint128 twice_u = 0;  // 2 x Mann-Whitney U
  Uint128 below = 0;    // background events with a lower code
  for (const auto& [code, c] : joint) {
    twice_u += Uint128{c.signal} * (2 * below + c.background);
    below += c.background;
  }
  return static_cast<double>(static_cast<long double>(twice_u) / (2.0L * static_cast<long double>(ns) * static_cast<long double>(nb)));
}

}  // namespace

double mann_whitney_auc(const ScoreHistogram& signal, const ScoreHistogram& background) {
  require_nonempty(signal, background);
  return auc_from(joint_bins(signal, background), signal.total(), background.total());
}

Roc compute_roc(const ScoreHistogram& signal, const ScoreHistogram& background, double working_point_fpr) {
  require_nonempty(signal, background);
  const auto joint = joint_bins(signal, background);
  const std::uint64_t ns = signal.total(), nb = background.total();
  Roc roc;
  roc.auc = auc_from(joint, ns, nb);
  roc.limited = static_cast<double>(nb) * working_point_fpr < 1.0;

  const std::int64_t top = joint.rbegin()->first;
  roc.points.push_back({top == std::numeric_limits<std::int64_t>::max() ? top : top + 1, 0.0, 0.0});
  // Working point: smallest T with FPR(T) <= target; the first T (walking down) where FPR exceeds it
  // leaves the previous T as the answer.
  roc.working_point_threshold = roc.points.front().threshold;
  bool working_point_found = false;
  std::uint64_t s_above = 0, b_above = 0;
  std::uint64_t s_at_wp = 0, b_at_wp = 0;
  for (auto it = joint.rbegin(); it != joint.rend(); ++it) {
    const std::uint64_t s_prev = s_above, b_prev = b_above;
    s_above += it->second.signal;
    b_above += it->second.background;
    const double fpr = static_cast<double>(b_above) / static_cast<double>(nb);
    roc.points.push_back({it->first, fpr, static_cast<double>(s_above) / static_cast<double>(ns)});
    if (!working_point_found && fpr > working_point_fpr) {
      working_point_found = true;
      roc.working_point_threshold = it->first + 1;
      s_at_wp = s_prev;
      b_at_wp = b_prev;
    }
  }
  if (!working_point_found) {  // only when working_point_fpr >= 1: every event passes
    roc.working_point_threshold = joint.begin()->first;
    s_at_wp = ns;
    b_at_wp = nb;
  }
  roc.tpr_at_working_point = static_cast<double>(s_at_wp) / static_cast<double>(ns);
  roc.fpr_at_working_point = static_cast<double>(b_at_wp) / static_cast<double>(nb);
  return roc;
}

}  // namespace l1emu::board

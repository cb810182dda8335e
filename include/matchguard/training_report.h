// What unsupervised training found beyond a model's parameters: the training populations it used or
// rejected (and why), the evidence-anchored match count beside EM's, and warnings a user must read before
// trusting the weights. Part of a saved model, of `explain` and of a link or dedupe summary.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace matchguard {

// How one training population (the candidate pairs agreeing on a blocking rule, or the evidence anchor)
// fed the model's m probabilities, and why it was left out when it was.
struct TrainingSource {
  std::string name;      // the blocking rule, or "anchor: ssn+dob"
  uint64_t pairs = 0;    // pairs in the population (its training sample)
  double matches = 0;    // matches estimated among them
  double weight = 0;     // share of the m average it carried (0 when rejected)
  std::string rejected;  // empty when used, else why not
};

// What training found beyond the parameters: which sources were used or rejected, the evidence-anchored
// match count against EM's, and warnings a user must see before trusting the weights.
struct TrainingReport {
  std::vector<TrainingSource> sources;
  double max_matches = 0;      // plausibility cap on matches among all pairs (0: none)
  double em_matches = 0;       // prior * all pairs
  double anchor_matches = -1;  // estimated from the anchor; < 0 when there is no anchor
  std::vector<std::string> warnings;
};

}  // namespace matchguard

// Probabilistic scoring of PPRL candidate pairs over field-level Bloom filters.
//
// STUB: the field-model engineer replaces this header and src/pipeline/pprl_field_model.cc.
#pragma once

#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/encode/clk_file.h"
#include "src/similarity/candidates.h"

namespace matchguard {

struct FieldModelOptions {
  std::vector<std::string> fields;  // feature identifiers; filters at <input>.<identifier>
  double min_probability = 0.5;
  int threads = 0;
};

struct FieldModelResult {
  similarity::CandidatePairs pairs;  // candidates reaching min_probability; similarity = match probability
  int em_iterations = 0;
  bool em_converged = false;
  double prior = 0.0;
  std::string model_json;
};

// Scores the candidates of one pair of parties (left_input/right_input are the whole-record encodings
// files, whose field-level files sit beside them). Errors name the file.
Result<FieldModelResult> ScoreWithFieldModel(FileSystem& fs, const std::string& left_input,
                                             const std::string& right_input, const ClkSet& left,
                                             const ClkSet& right, const similarity::CandidatePairs& candidates,
                                             const FieldModelOptions& options);

}  // namespace matchguard

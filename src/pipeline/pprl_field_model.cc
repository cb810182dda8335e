// STUB: the field-model engineer replaces this file.
#include "src/pipeline/pprl_field_model.h"

namespace matchguard {

Result<FieldModelResult> ScoreWithFieldModel(FileSystem&, const std::string&, const std::string&, const ClkSet&,
                                             const ClkSet&, const similarity::CandidatePairs&,
                                             const FieldModelOptions&) {
  return Error(Status::Internal("field-level model scoring is not implemented yet"));
}

}  // namespace matchguard

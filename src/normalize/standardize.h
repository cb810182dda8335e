// Standardisation before encoding: the data owner's file rewritten as the canonical values the linkage
// engine compares (see person.h for the formats), under the column names an encoding schema expects.
//
// Privacy-preserving linkage only works when both parties encode the same spelling of the same value; two
// agencies' files rarely agree on column names, case, date formats or sex codes. StandardizeColumns maps
// each requested name to a person field by the synonym lists (fields.h: "given_name" -> first_name), and
// fills it with that field's normalised values, so "04/10/1962", "1962-04-10" and "19620410" all become
// "1962-04-10", "Female" becomes "f", and "ELM STREET" becomes "elm st".
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <vector>

#include "matchguard/status.h"
#include "src/io/table.h"

namespace matchguard {

struct StandardizedName {
  std::string name;       // the output column's name (a schema feature identifier)
  bool required = false;  // an error when no column of the input holds its field
};

// A table with one column per requested name, in order, and the input's row order and line numbers. A
// name denoting no person field, or a field the input lacks, gives an empty column unless it is required
// (then InvalidArgument names the input, the name and the columns found; never a value). The id field
// gets the record ids as given.
Result<Table> StandardizeColumns(const Table& input, const std::vector<StandardizedName>& names);

}  // namespace matchguard

#pragma once

// What the comparison of references and the comparison of revisions share.

#include "envstore/diff.hpp"
#include "envstore/resolve.hpp"

#include <string>

namespace envstore {

// One side of a comparison: the reference `resolve` is given, what it is
// called in the output, and the definition as written.
struct Side
{
    Reference reference;
    std::string label;
    Definition definition;
};

// Compares two sides that both exist: their written definitions with the note
// on bases (DiffMode::written), or their resolved definitions.
EnvironmentDiff
compare_sides(const Workspace& workspace, const Side& before, const Side& after, DiffMode mode);

} // namespace envstore

// Resolving a reference through its `extends` chain (docs/resolve.md).
//
// A definition read from a commit (a version, a label, a commit reference)
// reads a base named without `@` at that same commit, so what a version meant
// never depends on today's working tree. A version registered with recorded
// bases (`Envstore-Base` trailers) uses those, step by step, instead of
// looking `latest` or labels up again.

#include "envstore/resolve.hpp"

#include "envstore/canonical.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace {

constexpr std::size_t k_max_chain = 32;

// One definition of the chain, read and parsed.
struct Loaded
{
    StoredDefinition stored;
    Definition definition;
    std::string identity; // names what was read, for cycle detection and origins
};

class Resolver
{
public:
    explicit Resolver(const Workspace& workspace) : m_workspace(workspace) {}

    ResolvedDefinition run(const Reference& reference)
    {
        return resolve_step(reference, nullptr, 0);
    }

private:
    Loaded load(const Reference& reference) const;
    Reference base_reference(const Loaded& child,
                             const std::vector<RecordedBase>* recorded,
                             std::size_t depth,
                             bool& from_record) const;
    ResolvedDefinition resolve_base(const Loaded& child,
                                    const Reference& base,
                                    const std::vector<RecordedBase>* recorded,
                                    std::size_t depth);
    std::string today(const Loaded& child, const std::string& recorded) const;
    ResolvedDefinition resolve_step(const Reference& reference,
                                    const std::vector<RecordedBase>* recorded,
                                    std::size_t depth);

    const Workspace& m_workspace;
    std::vector<std::string> m_chain;
    std::string m_record_owner; // the version whose record governs the current step
};

// How a read definition is named in origins and errors: "base@v4",
// "base@1a2b3c4d5e6f", or "base" for the working tree.
std::string describe(const Reference& reference, const StoredDefinition& stored)
{
    std::string prefix = reference.curated ? std::string(k_curated_prefix) : "";
    if (stored.version) {
        return prefix + version_tag_name(reference.name, stored.version->number);
    }
    if (!stored.commit.empty()) {
        return fmt::format("{}{}@{}", prefix, reference.name, stored.commit.substr(0, 12));
    }
    return prefix + reference.name;
}

// The concrete form of a resolved base: a version, a full commit, or the
// working tree's plain name.
std::string concrete(const ResolvedDefinition& base)
{
    std::string prefix = base.reference.curated ? std::string(k_curated_prefix) : "";
    if (base.version) {
        return prefix + version_tag_name(base.reference.name, *base.version);
    }
    if (!base.commit.empty()) {
        return fmt::format("{}{}@{}", prefix, base.reference.name, base.commit);
    }
    return prefix + base.reference.name;
}

// A version records what its chain resolved to when it was registered; the
// same records must give the same result on every clone, for ever.
void check_recorded_digest(const Loaded& loaded, const std::string& digest)
{
    const auto& version = loaded.stored.version;
    if (!version || version->resolved_digest.empty() || version->resolved_digest == digest) {
        return;
    }
    throw Error(ErrorCode::repository,
                fmt::format("\"{}\" resolves to {}, but resolved to {} when it was registered",
                            loaded.identity,
                            digest,
                            version->resolved_digest),
                "a base it was registered with has changed; run envstore doctor");
}

Loaded Resolver::load(const Reference& reference) const
{
    Loaded loaded;
    // A curated reference reads the catalog, and keeps its prefix for its bases.
    loaded.stored = resolve_reference(m_workspace, reference);
    loaded.definition = load_definition(loaded.stored.text, loaded.stored.path, reference.name);
    loaded.identity = describe(reference, loaded.stored);
    return loaded;
}

// The base to read next. A recorded step must match what the definition
// says, or the record and the content disagree (tampering): exit 8.
Reference Resolver::base_reference(const Loaded& child,
                                   const std::vector<RecordedBase>* recorded,
                                   std::size_t depth,
                                   bool& from_record) const
{
    const std::string& written = *child.definition.extends;
    from_record = false;
    if (recorded && depth < recorded->size()) {
        const RecordedBase& step = (*recorded)[depth];
        if (step.requested != written) {
            throw Error(ErrorCode::repository,
                        fmt::format("the record of \"{}\" says it extends \"{}\", its definition "
                                    "says \"{}\"",
                                    child.identity,
                                    step.requested,
                                    written),
                        "the version tag was changed by other means; run envstore doctor");
        }
        from_record = true;
        // Inside the catalog, records name its own environments without the prefix.
        Reference base = parse_reference(step.resolved);
        base.curated = base.curated || child.stored.reference.curated;
        return base;
    }

    Reference base = parse_reference(written);
    base.curated = base.curated || child.stored.reference.curated;
    if (base.kind == ReferenceKind::working_tree && !child.stored.commit.empty()) {
        base.kind = ReferenceKind::commit; // the base as committed beside the child
        base.value = child.stored.commit;
    }
    return base;
}

// What a recorded `latest` or label step would name today, when that moved.
std::string Resolver::today(const Loaded& child, const std::string& recorded) const
{
    Reference now = parse_reference(*child.definition.extends);
    now.curated = now.curated || child.stored.reference.curated;
    if (now.kind != ReferenceKind::latest && now.kind != ReferenceKind::label) {
        return {};
    }
    try {
        Loaded current = load(now);
        return current.identity == recorded ? std::string() : current.identity;
    } catch (const Error&) {
        return {}; // the label was deleted since: nothing to compare with
    }
}

// A base named without `@` is read at the child's commit; there, a missing
// base means it was never committed beside the child.
ResolvedDefinition Resolver::resolve_base(const Loaded& child,
                                          const Reference& base,
                                          const std::vector<RecordedBase>* recorded,
                                          std::size_t depth)
{
    try {
        return resolve_step(base, recorded, depth);
    } catch (const Error& error) {
        bool beside = base.kind == ReferenceKind::commit && base.value == child.stored.commit;
        if (error.code() != ErrorCode::not_found || !beside) {
            throw;
        }
        throw Error(ErrorCode::not_found,
                    fmt::format("\"{}\" extends \"{}\", which is not committed beside it in {}",
                                child.identity,
                                *child.definition.extends,
                                child.stored.commit.substr(0, 12)),
                    fmt::format("commit or register {} too, or extend a version: {}@vN",
                                base.name,
                                base.name));
    }
}

ResolvedDefinition Resolver::resolve_step(const Reference& reference,
                                          const std::vector<RecordedBase>* recorded,
                                          std::size_t depth)
{
    Loaded loaded = load(reference);
    bool repeated = std::find(m_chain.begin(), m_chain.end(), loaded.identity) != m_chain.end();
    m_chain.push_back(loaded.identity);
    if (repeated || m_chain.size() > k_max_chain) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} \"extends\" chain: {}",
                                repeated ? "a cycle in the" : "too long an",
                                fmt::join(m_chain, " -> ")),
                    repeated ? "an environment cannot build on itself" : "at most 32 steps");
    }
    // A version's own record governs the chain below it, unless an outer one does.
    bool own_record = !recorded && loaded.stored.version && !loaded.stored.version->bases.empty();
    std::string outer_owner = m_record_owner;
    if (own_record) {
        m_record_owner = loaded.identity;
        recorded = &loaded.stored.version->bases;
        depth = 0;
    }

    ResolvedDefinition result;
    result.reference = reference;
    if (loaded.stored.version) {
        result.version = loaded.stored.version->number;
    }
    result.commit = loaded.stored.commit;
    const Definition& child = loaded.definition;
    if (!child.extends) {
        result.definition = child;
    } else {
        BaseUse use;
        use.requested = *child.extends;
        Reference base_ref = base_reference(loaded, recorded, depth, use.recorded);
        ResolvedDefinition base = resolve_base(loaded, base_ref, recorded, depth + 1);
        use.resolved = concrete(base);
        if (use.recorded) {
            use.recorded_by = m_record_owner;
            use.today = today(loaded, use.resolved);
        }
        use.commit = base.commit;
        use.digest = base.digest;
        result.definition = merge_definitions(base.definition, child);
        result.origins = std::move(base.origins);
        result.bases.push_back(std::move(use));
        result.bases.insert(result.bases.end(), base.bases.begin(), base.bases.end());
    }

    // Nulls only ever remove something inherited; a complete definition has none.
    std::erase_if(result.definition.variables, [](const auto& entry) { return !entry.second; });
    result.definition.extends.reset();
    result.definition.locations.clear();
    auto elements = definition_elements(result.definition);
    std::erase_if(result.origins,
                  [&](const auto& entry) { return !elements.contains(entry.first); });
    for (const auto& [key, location] : child.locations) {
        if (elements.contains(key)) {
            result.origins[key] = Origin{loaded.identity, location};
        }
    }
    result.digest = definition_digest(result.definition);
    check_recorded_digest(loaded, result.digest);
    m_chain.pop_back();
    m_record_owner = outer_owner;
    return result;
}

} // namespace

ResolvedDefinition resolve(const Workspace& workspace, const Reference& reference)
{
    return Resolver(workspace).run(reference);
}

SourceLocation located(const Origin& origin)
{
    SourceLocation location = origin.location;
    if (origin.environment.find('@') != std::string::npos) {
        location.path = origin.environment + ":" + location.path;
    }
    return location;
}

} // namespace envstore

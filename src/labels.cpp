#include "records.hpp"
#include "workspace_impl.hpp"

#include "envstore/names.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

constexpr std::string_view k_archive_key = "archive";
constexpr int k_max_attempts = 200;

git::Object lookup_object(git_repository* repository, const std::string& hex)
{
    git_oid id = git::from_hex(hex);
    git_object* raw = nullptr;
    git::check(git_object_lookup(&raw, repository, &id, GIT_OBJECT_ANY),
               fmt::format("cannot read object {}", hex));
    return git::Object(raw);
}

// Appends record NAME#KEY#N with the next free N; retries when another writer
// takes the number first.
int append_record(const Workspace& workspace,
                  std::string_view name,
                  std::string_view key,
                  const git_object* target,
                  const std::string& summary,
                  Trailers trailers)
{
    git_repository* repository = workspace.impl().repo();
    git::Signature tagger = git::default_signature(repository);
    for (int attempt = 0; attempt < k_max_attempts; ++attempt) {
        int sequence = 1 + highest_dense_number(repository, [&](int n) {
                           return tag_ref(sequence_tag_name(name, key, n));
                       });
        if (check_dense_numbering(repository,
                                  tag_ref(fmt::format("{}#{}#", name, key)),
                                  sequence - 1) == Numbering::moved_on) {
            continue;
        }
        Trailers with_sequence = trailers;
        with_sequence.emplace_back("Sequence", std::to_string(sequence));
        std::string tag_name = sequence_tag_name(name, key, sequence);
        if (create_tag_if_absent(repository,
                                 tag_name,
                                 target,
                                 tagger.get(),
                                 format_record_message(summary, with_sequence))) {
            return sequence;
        }
    }
    throw Error(ErrorCode::conflict,
                fmt::format("could not record \"{}#{}\": too many concurrent writers", name, key),
                "retry");
}

struct Record
{
    int sequence = 0;
    std::string text;
    Trailers trailers;
    Signature tagger;
};

Record read_record(git_repository* repository, const std::string& tag_name, int sequence)
{
    auto id = git::lookup_reference_id(repository, tag_ref(tag_name));
    git_tag* raw = nullptr;
    if (!id || git_tag_lookup(&raw, repository, &*id) != 0) {
        throw Error(ErrorCode::repository,
                    fmt::format("record \"{}\" is not an annotated tag (tampered)", tag_name));
    }
    git::Tag tag(raw);
    Record record;
    record.sequence = sequence;
    std::tie(record.text, record.trailers) = parse_record_message(git_tag_message(tag.get()));
    record.tagger = to_signature(git_tag_tagger(tag.get()));
    return record;
}

// Every record key of `name` (labels and "archive"), from one listing of its tags.
std::map<std::string, int> record_keys(git_repository* repository, std::string_view name)
{
    std::map<std::string, int> keys;
    std::string glob = fmt::format("refs/tags/{}#*", name);
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_glob_new(&raw, repository, glob.c_str()), "cannot list tags");
    git::ReferenceIterator iterator(raw);
    const char* ref_name = nullptr;
    std::size_t prefix = glob.size() - 1;
    while (git_reference_next_name(&ref_name, iterator.get()) == 0) {
        std::string_view rest = std::string_view(ref_name).substr(prefix);
        auto hash = rest.find('#');
        if (hash == std::string_view::npos) {
            continue;
        }
        int sequence = std::atoi(std::string(rest.substr(hash + 1)).c_str());
        int& highest = keys[std::string(rest.substr(0, hash))];
        highest = std::max(highest, sequence);
    }
    return keys;
}

LabelEvent to_label_event(std::string_view name, std::string_view label, const Record& record)
{
    LabelEvent event;
    event.name = std::string(name);
    event.label = std::string(label);
    event.sequence = record.sequence;
    event.tagger = record.tagger;
    event.message = record.text;
    if (trailer_value(record.trailers, "Action") != "delete") {
        event.version = std::atoi(trailer_value(record.trailers, "Version").c_str());
    }
    return event;
}

LabelEvent
latest_label_event(git_repository* repository, std::string_view name, std::string_view label)
{
    int highest = highest_dense_number(
        repository, [&](int n) { return tag_ref(sequence_tag_name(name, label, n)); });
    if (highest == 0) {
        return LabelEvent{};
    }
    Record record = read_record(repository, sequence_tag_name(name, label, highest), highest);
    return to_label_event(name, label, record);
}

void check_label(std::string_view label)
{
    if (auto problem = check_label_name(label)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid label \"{}\": {}", label, *problem));
    }
}

} // namespace

LabelEvent set_label(const Workspace& workspace, const Reference& reference, std::string_view label)
{
    check_label(label);
    if (reference.kind == ReferenceKind::working_tree || reference.kind == ReferenceKind::commit) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("a label points at a version, and \"{}\" is not one",
                                reference.to_string()),
                    fmt::format("name a version: {}@vN, {}@latest or {}@LABEL",
                                reference.name,
                                reference.name,
                                reference.name));
    }
    StoredDefinition target = resolve_reference(workspace, reference);
    const VersionInfo& version = *target.version;
    git::Object object = lookup_object(workspace.impl().repo(), version.tag_id);

    std::string summary = fmt::format("Label {} -> {}", label, version.tag_name);
    int sequence = append_record(workspace,
                                 version.name,
                                 label,
                                 object.get(),
                                 summary,
                                 {{"Environment", version.name},
                                  {"Label", std::string(label)},
                                  {"Action", "set"},
                                  {"Version", std::to_string(version.number)}});
    Record record = read_record(
        workspace.impl().repo(), sequence_tag_name(version.name, label, sequence), sequence);
    return to_label_event(version.name, label, record);
}

LabelEvent delete_label(const Workspace& workspace, std::string_view name, std::string_view label)
{
    check_label(label);
    git_repository* repository = workspace.impl().repo();
    LabelEvent current = latest_label_event(repository, name, label);
    if (!current.version) {
        throw Error(ErrorCode::not_found, fmt::format("\"{}\" has no label \"{}\"", name, label));
    }
    VersionInfo version = lookup_version(workspace, name, *current.version);
    git::Object object = lookup_object(repository, version.tag_id);
    std::string summary = fmt::format("Delete label {} (was {})", label, version.tag_name);
    int sequence = append_record(
        workspace,
        name,
        label,
        object.get(),
        summary,
        {{"Environment", std::string(name)}, {"Label", std::string(label)}, {"Action", "delete"}});
    Record record = read_record(repository, sequence_tag_name(name, label, sequence), sequence);
    return to_label_event(name, label, record);
}

std::map<std::string, int> current_labels(const Workspace& workspace, std::string_view name)
{
    git_repository* repository = workspace.impl().repo();
    std::map<std::string, int> labels;
    for (const auto& [key, highest] : record_keys(repository, name)) {
        if (key == k_archive_key) {
            continue;
        }
        LabelEvent event = latest_label_event(repository, name, key);
        if (event.version) {
            labels[key] = *event.version;
        }
    }
    return labels;
}

std::vector<LabelEvent> label_history(const Workspace& workspace, std::string_view name)
{
    git_repository* repository = workspace.impl().repo();
    std::vector<LabelEvent> events;
    for (const auto& [key, highest] : record_keys(repository, name)) {
        if (key == k_archive_key) {
            continue;
        }
        for (int n = 1; n <= highest; ++n) {
            Record record = read_record(repository, sequence_tag_name(name, key, n), n);
            events.push_back(to_label_event(name, key, record));
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const LabelEvent& a, const LabelEvent& b) {
        return a.tagger.time < b.tagger.time;
    });
    return events;
}

ArchiveState archive_state(const Workspace& workspace, std::string_view name)
{
    git_repository* repository = workspace.impl().repo();
    int highest = highest_dense_number(
        repository, [&](int n) { return tag_ref(sequence_tag_name(name, k_archive_key, n)); });
    if (highest == 0) {
        return {};
    }
    Record record =
        read_record(repository, sequence_tag_name(name, k_archive_key, highest), highest);
    ArchiveState state;
    state.archived = trailer_value(record.trailers, "Action") == "archive";
    state.renamed_to = trailer_value(record.trailers, "Renamed-To");
    return state;
}

namespace {

void record_archive_action(const Workspace& workspace,
                           std::string_view name,
                           bool archive,
                           std::string_view renamed_to)
{
    git_repository* repository = workspace.impl().repo();
    git::Object target;
    if (auto latest = latest_version(workspace, name)) {
        target = lookup_object(repository, lookup_version(workspace, name, *latest).tag_id);
    } else {
        git::Commit head = head_commit(workspace);
        target = lookup_object(repository, git::to_hex(*git_commit_id(head.get())));
    }
    Trailers trailers{{"Environment", std::string(name)},
                      {"Action", archive ? "archive" : "restore"}};
    if (!renamed_to.empty()) {
        trailers.emplace_back("Renamed-To", std::string(renamed_to));
    }
    std::string summary =
        archive ? fmt::format("Archive {}", name) : fmt::format("Restore {}", name);
    if (!renamed_to.empty()) {
        summary = fmt::format("Archive {}: renamed to {}", name, renamed_to);
    }
    append_record(workspace, name, k_archive_key, target.get(), summary, trailers);
}

bool environment_exists(const Workspace& workspace, std::string_view name)
{
    return latest_version(workspace, name).has_value() ||
           std::filesystem::exists(workspace.root() / Workspace::definition_path(name));
}

} // namespace

void archive_environment(const Workspace& workspace, std::string_view name)
{
    archive_environment_renamed(workspace, name, {});
}

void archive_environment_renamed(const Workspace& workspace,
                                 std::string_view name,
                                 std::string_view renamed_to)
{
    if (archive_state(workspace, name).archived) {
        throw Error(ErrorCode::invalid_input, fmt::format("\"{}\" is already archived", name));
    }
    if (!environment_exists(workspace, name)) {
        throw Error(ErrorCode::not_found, fmt::format("no environment \"{}\"", name));
    }
    record_archive_action(workspace, name, true, renamed_to);
}

void restore_environment(const Workspace& workspace, std::string_view name)
{
    if (!archive_state(workspace, name).archived) {
        if (!environment_exists(workspace, name)) {
            throw Error(ErrorCode::not_found, fmt::format("no environment \"{}\"", name));
        }
        throw Error(ErrorCode::invalid_input, fmt::format("\"{}\" is not archived", name));
    }
    record_archive_action(workspace, name, false, {});
}

} // namespace envstore

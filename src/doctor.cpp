#include "envstore/doctor.hpp"

#include "records.hpp"
#include "workspace_impl.hpp"
#include "write_lock.hpp"

#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace envstore {
namespace fs = std::filesystem;

namespace {

double age_of(const fs::path& path)
{
    std::error_code error;
    auto modified = fs::last_write_time(path, error);
    if (error) {
        return 0;
    }
    return std::chrono::duration<double>(fs::file_time_type::clock::now() - modified).count();
}

void remove_if_fixing(DoctorFinding& finding, const fs::path& path, FixMode mode)
{
    if (mode == FixMode::fix && finding.fixable) {
        std::error_code error;
        finding.fixed = fs::remove(path, error) && !error;
    }
}

void check_envstore_lock(const fs::path& git_dir, FixMode mode, std::vector<DoctorFinding>& out)
{
    fs::path path = git_dir / k_write_lock_file;
    auto holder = read_lock_holder(path);
    if (!holder) {
        return;
    }
    bool stale = !holder->alive || holder->age_seconds > k_stale_lock_seconds;
    DoctorFinding finding;
    finding.kind = stale ? "stale-lock" : "held-lock";
    finding.subject = path.string();
    finding.message = fmt::format("envstore write lock held by process {} on {}, {:.0f} s old{}",
                                  holder->pid,
                                  holder->host,
                                  holder->age_seconds,
                                  holder->alive ? "" : " (that process has exited)");
    finding.fixable = stale;
    finding.fix = stale ? "remove the lock file (envstore doctor --fix)"
                        : "wait for that envstore process to finish";
    remove_if_fixing(finding, path, mode);
    out.push_back(std::move(finding));
}

void check_git_locks(const fs::path& git_dir, FixMode mode, std::vector<DoctorFinding>& out)
{
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(git_dir, error);
         it != fs::recursive_directory_iterator();
         it.increment(error)) {
        if (error) {
            break;
        }
        const fs::path& path = it->path();
        if (path.filename() == "objects") {
            it.disable_recursion_pending();
            continue;
        }
        if (path.extension() != ".lock" || path.filename() == k_write_lock_file) {
            continue;
        }
        double age = age_of(path);
        DoctorFinding finding;
        finding.kind = age > k_stale_lock_seconds ? "stale-lock" : "held-lock";
        finding.subject = path.string();
        finding.message = fmt::format(
            "Git lock file \"{}\", {:.0f} s old", fs::relative(path, git_dir).string(), age);
        finding.fixable = age > k_stale_lock_seconds;
        finding.fix =
            finding.fixable
                ? "no Git process holds a lock this long: remove it (envstore doctor --fix)"
                : "a Git or envstore process may be working: wait, then run doctor again";
        remove_if_fixing(finding, path, mode);
        out.push_back(std::move(finding));
    }
}

void check_temporary_files(const fs::path& git_dir, FixMode mode, std::vector<DoctorFinding>& out)
{
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(git_dir / "objects", error);
         it != fs::recursive_directory_iterator();
         it.increment(error)) {
        if (error) {
            break;
        }
        std::string name = it->path().filename().string();
        if (!name.starts_with("tmp_") && !name.starts_with("tmp-")) {
            continue;
        }
        double age = age_of(it->path());
        DoctorFinding finding;
        finding.kind = "temporary-file";
        finding.subject = it->path().string();
        finding.message = fmt::format("leftover temporary object file \"{}\", {:.0f} s old",
                                      fs::relative(it->path(), git_dir).string(),
                                      age);
        finding.fixable = age > k_stale_lock_seconds;
        finding.fix = finding.fixable ? "remove it (envstore doctor --fix)"
                                      : "a write may be in progress: wait, then run doctor again";
        remove_if_fixing(finding, it->path(), mode);
        out.push_back(std::move(finding));
    }
}

void check_versions(const Workspace& workspace, std::vector<DoctorFinding>& out)
{
    for (const auto& [name, numbers] : all_version_numbers(workspace.impl().repo())) {
        int highest = *numbers.rbegin();
        for (int n = 1; n <= highest; ++n) {
            if (!numbers.contains(n)) {
                out.push_back({"missing-version",
                               version_tag_name(name, n),
                               fmt::format("version \"{}\" is missing: versions of \"{}\" are not "
                                           "numbered densely",
                                           version_tag_name(name, n),
                                           name),
                               "fetch the tag from a clone that has it (git fetch origin tag ...)",
                               false,
                               false});
                continue;
            }
            try {
                lookup_version(workspace, name, n);
            } catch (const Error& error) {
                out.push_back({"tampered-version",
                               version_tag_name(name, n),
                               error.message(),
                               error.hint(),
                               false,
                               false});
            }
        }
    }
}

// Why the record behind `ref_name` cannot be read, or std::nullopt.
std::optional<std::string> record_problem(git_repository* repository, const char* ref_name)
{
    auto id = git::lookup_reference_id(repository, ref_name);
    git_tag* raw = nullptr;
    if (!id || git_tag_lookup(&raw, repository, &*id) != 0) {
        return "is not an annotated tag";
    }
    git::Tag tag(raw);
    const char* message = git_tag_message(tag.get());
    auto [text, trailers] = parse_record_message(message == nullptr ? "" : message);
    if (trailer_value(trailers, "Action").empty()) {
        return "has no Envstore-Action trailer";
    }
    return std::nullopt;
}

// Label and archive records (NAME#KEY#N): list and show stop at one they
// cannot read, so name each here.
void check_records(git_repository* repository, std::vector<DoctorFinding>& out)
{
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_glob_new(&raw, repository, "refs/tags/*#*#*"),
               "cannot list tags");
    git::ReferenceIterator iterator(raw);
    const char* ref_name = nullptr;
    while (git_reference_next_name(&ref_name, iterator.get()) == 0) {
        auto problem = record_problem(repository, ref_name);
        if (!problem) {
            continue;
        }
        std::string tag_name = std::string(ref_name).substr(std::string_view("refs/tags/").size());
        out.push_back({"unreadable-record",
                       tag_name,
                       fmt::format("record \"{}\" {} (tampered)", tag_name, *problem),
                       "envstore never moves or rewrites a record; fetch the original from a "
                       "clone that has it, or delete the tag if envstore did not make it",
                       false,
                       false});
    }
}

void check_identity(const Workspace& workspace, std::vector<DoctorFinding>& out)
{
    try {
        git::default_signature(workspace.impl().repo());
    } catch (const Error& error) {
        out.push_back(
            {"identity", "user.name/user.email", error.message(), error.hint(), false, false});
    }
}

} // namespace

std::vector<DoctorFinding> run_doctor(const Workspace& workspace, FixMode mode)
{
    std::vector<DoctorFinding> findings;
    fs::path git_dir = workspace.git_dir();
    check_envstore_lock(git_dir, mode, findings);
    check_git_locks(git_dir, mode, findings);
    check_temporary_files(git_dir, mode, findings);
    check_versions(workspace, findings);
    check_records(workspace.impl().repo(), findings);
    check_identity(workspace, findings);
    return findings;
}

} // namespace envstore

// A real `docker build` of an exported Dockerfile, where a Docker daemon runs
// and the base image is already there (the test never pulls): the image's
// configuration holds every variable exactly, and the labels. Skipped, and
// saying why, everywhere else.

#include "export/dockerfile_judge.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "envstore/export_dockerfile.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>

using namespace envstore;
using namespace envstore::test;

namespace {

// The local image to build from: ENVSTORE_TEST_DOCKER_IMAGE, or debian:bookworm-slim.
std::string base_image()
{
    const char* chosen = std::getenv("ENVSTORE_TEST_DOCKER_IMAGE");
    return chosen ? chosen : "debian:bookworm-slim";
}

// Why the build cannot run here; empty when it can.
std::string why_no_build(const std::string& image)
{
    if (run({"sh", "-c", "command -v docker"}).exit_code != 0) {
        return "no docker client";
    }
    if (run({"docker", "info"}).exit_code != 0) {
        return "no Docker daemon";
    }
    if (run({"docker", "image", "inspect", image}).exit_code != 0) {
        return fmt::format("the image {} is not there (the test never pulls; set "
                           "ENVSTORE_TEST_DOCKER_IMAGE to a local Debian-like image)",
                           image);
    }
    return {};
}

} // namespace

TEST_CASE("a docker build keeps every variable exactly (skipped without a Docker daemon)",
          "[export][docker]")
{
    std::string image = base_image();
    if (std::string why = why_no_build(image); !why.empty()) {
        WARN("skipping the docker build: " << why);
        return;
    }
    std::string yaml =
        fmt::format("name: x\ndocker: {{base_image: {}}}\nvariables:\n", yaml_quote(image));
    const std::vector<std::string>& payloads = injection_payloads();
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        yaml += fmt::format("  V{}: {}\n", i, yaml_quote(payloads[i]));
    }
    ResolvedDefinition resolved = resolved_from_yaml(yaml);
    DockerfileExport out = export_dockerfile(resolved, test_conda_file);
    TempDir dir;
    write_build_context(out, dir / "context");

    RunResult built = run({"docker",
                           "build",
                           "--pull=false",
                           "--build-arg",
                           "ENVSTORE_NAME=x",
                           "--iidfile",
                           (dir / "id").string(),
                           (dir / "context").string()});
    INFO(out.dockerfile << "\n" << built.err);
    REQUIRE(built.exit_code == 0);
    std::string id = read_file(dir / "id");
    RunResult config = run({"docker", "image", "inspect", "--format", "{{json .Config}}", id});
    run({"docker", "image", "rm", id});
    REQUIRE(config.exit_code == 0);

    nlohmann::json parsed = nlohmann::json::parse(config.out);
    std::map<std::string, std::string> env;
    for (const auto& entry : parsed["Env"]) {
        std::string text = entry.get<std::string>();
        env[text.substr(0, text.find('='))] = text.substr(text.find('=') + 1);
    }
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        std::string name = fmt::format("V{}", i);
        INFO(name << " = [" << payloads[i] << "]");
        if (i == 5) {
            CHECK(env.count(name) == 0);
        } else {
            CHECK(env[name] == payloads[i]);
        }
    }
    CHECK(parsed["Labels"]["envstore.digest"] == resolved.digest);
    CHECK(parsed["Labels"]["envstore.name"] == "x");
    CHECK(parsed["Labels"]["envstore.version"] == "");
    CHECK(parsed["User"] == "envstore");
}

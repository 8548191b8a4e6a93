# Installs npm's dockerfile-ast, pinned, into PREFIX for the Dockerfile export
# tests. Never fails: without npm or the registry the tests skip and say why.
set(package dockerfile-ast)
set(version 0.7.1)
set(installed ${PREFIX}/node_modules/${package}/package.json)
if(EXISTS ${installed})
    file(READ ${installed} manifest)
    string(JSON found GET ${manifest} version)
    if(found STREQUAL version)
        return()
    endif()
endif()
find_program(NPM npm)
if(NOT NPM)
    message(WARNING "npm not found: the Dockerfile parser tests will skip")
    return()
endif()
execute_process(COMMAND ${NPM} install --prefix ${PREFIX} --no-audit --no-fund
                        --no-save ${package}@${version}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(WARNING "npm install ${package}@${version} failed: the Dockerfile parser tests will skip")
endif()

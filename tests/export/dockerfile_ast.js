// Prints a Dockerfile as npm's dockerfile-ast parses it, as JSON: the parser
// directives and each instruction with its arguments, flags, heredocs and
// properties (ENV, LABEL, ARG). Usage: node dockerfile_ast.js FILE
'use strict';
const fs = require('fs');
const { DockerfileParser } = require('dockerfile-ast');

// dockerfile-ast keeps `\$` inside a double-quoted value as it is; the
// Dockerfile reference reads it as a literal `$`.
function propertyValue(property) {
    const value = property.getValue();
    const raw = property.getUnescapedValue();
    if (value === null || raw === null || !raw.startsWith('"')) {
        return value;
    }
    return value.replace(/\\\$/g, '$');
}

const dockerfile = DockerfileParser.parse(fs.readFileSync(process.argv[2], 'utf8'));
const instructions = dockerfile.getInstructions().map((instruction) => {
    const parsed = {
        keyword: instruction.getKeyword(),
        args: instruction.getArguments().map((argument) => argument.getValue()),
        content: instruction.getArgumentsContent(),
        flags: [],
        heredocs: 0,
        properties: [],
        // The variables the builder would expand, as dockerfile-ast sees
        // them (it also lists those inside single quotes, which the builder
        // keeps literal).
        variables: instruction.getVariables().map((variable) => variable.getName()),
    };
    if (typeof instruction.getFlags === 'function') {
        parsed.flags = instruction.getFlags().map((flag) => [flag.getName(), flag.getValue()]);
    }
    if (parsed.keyword === 'RUN') {
        parsed.heredocs = instruction.getHeredocs().length;
    }
    if (typeof instruction.getProperties === 'function') {
        parsed.properties = instruction
            .getProperties()
            .map((p) => [p.getName(), propertyValue(p), p.getUnescapedValue()]);
    }
    if (parsed.keyword === 'FROM') {
        parsed.image = instruction.getImage();
    }
    return parsed;
});
const directives = dockerfile.getDirectives().map((directive) => directive.getName());
process.stdout.write(JSON.stringify({ directives, instructions }));

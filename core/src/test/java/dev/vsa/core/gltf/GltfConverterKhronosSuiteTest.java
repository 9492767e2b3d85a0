package dev.vsa.core.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Converts every asset of the Khronos glTF-Validator's test suite (mostly invalid files) both ways: conversion
 * either succeeds or fails with {@link MalformedInputException}, never otherwise; and every asset the suite
 * calls valid converts into files the vsa validator finds no error in.
 */
class GltfConverterKhronosSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void convert_suiteAssets() throws Exception {
        Path root = Path.of(GltfConverterKhronosSuiteTest.class.getResource("/khronos-validator-suite").toURI());
        List<Path> reports;
        try (Stream<Path> s = Files.walk(root)) {
            reports = s.filter(p -> p.getFileName().toString().endsWith(".report.json")).sorted().toList();
        }
        int converted = 0;
        int valid = 0;
        int refused = 0;
        List<String> problems = new ArrayList<>();
        for (Path report : reports) {
            String name = report.getFileName().toString();
            Path asset = report.resolveSibling(name.substring(0, name.length() - ".report.json".length()));
            if (!Files.isRegularFile(asset)) {
                continue;
            }
            boolean expectValid = JSON.readTree(report.toFile()).at("/issues/numErrors").asInt(-1) == 0;
            Path glb = dir.resolve("o.glb");
            Path gltf = dir.resolve("o.gltf");
            try {
                GltfConverter.toGlb(asset, glb);
                GltfConverter.toGltf(glb, gltf, false);
            } catch (MalformedInputException e) {
                // valid files vsa refuses by design: buffers without data (placeholders) cannot become a GLB's
                // BIN chunk, and URIs with a scheme are never fetched
                if (expectValid && e.code() != ErrorCode.UNSUPPORTED_FEATURE && e.code() != ErrorCode.GLTF_URI_REJECTED) {
                    problems.add(root.relativize(asset) + " is valid but not converted: " + e);
                }
                refused += expectValid ? 1 : 0;
                continue;
            } catch (RuntimeException e) {
                problems.add(root.relativize(asset) + " crashed: " + e + " at " + e.getStackTrace()[0]);
                continue;
            }
            converted++;
            if (expectValid) {
                valid++;
                for (Path out : List.of(glb, gltf)) {
                    Set<String> errors = errors(out);
                    if (!errors.isEmpty()) {
                        problems.add(root.relativize(asset) + " -> " + out.getFileName() + ": " + errors);
                    }
                }
            }
        }
        System.out.printf("converter over the Khronos suite: %d converted both ways, %d of them valid inputs, "
                + "%d valid inputs refused by design, %d problems%n", converted, valid, refused, problems.size());
        assertTrue(valid > 20, "too few valid suite assets: " + valid);
        assertEquals(List.of(), problems);
    }

    private static Set<String> errors(Path file) throws Exception {
        Set<String> codes = new TreeSet<>();
        for (Issue i : Validator.validate(file, ValidationOptions.defaults().withMaxIssues(0)).issues().messages()) {
            if (i.severity() == Severity.ERROR) {
                codes.add(i.code());
            }
        }
        return codes;
    }
}

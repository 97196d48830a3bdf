import Foundation
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// The check every test's API answers go through (Support/OpenAPIConformance.swift): the
/// schema validator on a small document, and proof that `withApp` puts it in front.
@Suite("OpenAPI conformance check")
struct OpenAPIConformanceTests {
    static let fragment = """
        {
          "openapi": "3.1.0",
          "paths": {
            "/api/v1/things": {
              "get": {
                "responses": {
                  "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/api/v1/things/{id}": {
              "delete": { "responses": { "204": { "description": "gone" }, "4XX": { "$ref": "#/components/responses/NotFound" } } }
            },
            "/api/v1/things/special": {
              "get": { "responses": { "200": { "description": "csv", "content": { "text/csv": { "schema": { "type": "string" } } } } } }
            }
          },
          "components": {
            "schemas": {
              "Thing": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                  "id": { "type": "string", "format": "uuid" },
                  "name": { "type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$" },
                  "size": { "type": ["integer", "null"], "minimum": 0, "maximum": 10 },
                  "kind": { "enum": ["a", "b"] },
                  "at": { "type": "string", "format": "date-time" },
                  "on": { "type": "string", "format": "date" },
                  "tags": { "type": "array", "items": { "type": "string" } },
                  "extra": { "type": "object", "additionalProperties": { "type": "integer" } },
                  "open": { "type": "object", "properties": { "a": { "type": "boolean" } }, "additionalProperties": true },
                  "either": { "oneOf": [{ "type": "string" }, { "type": "integer" }] },
                  "fixed": { "const": 3 }
                }
              },
              "Named": { "type": "object", "properties": { "name": { "type": "string" } } },
              "Sized": { "type": "object", "properties": { "size": { "type": "integer" } } },
              "Both": { "allOf": [{ "$ref": "#/components/schemas/Named" }, { "$ref": "#/components/schemas/Sized" }] },
              "Strange": { "type": "string", "frobnicate": true },
              "Error": {
                "type": "object", "required": ["error"],
                "properties": { "error": { "type": "object", "required": ["code"], "properties": { "code": { "type": "string" } } } }
              }
            },
            "responses": {
              "NotFound": { "description": "no", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "MethodNotAllowed": { "description": "no", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
          }
        }
        """

    let conformance = OpenAPIConformance(document: (try? JSONValue.parse(Self.fragment)) ?? .null)

    func problems(_ body: String, _ schema: String = "Thing") throws -> [SchemaProblem] {
        try conformance.validator.validate(JSONValue.parse(body), against: .object(["$ref": .string("#/components/schemas/\(schema)")]))
    }

    @Test func jsonValuesKeepTheirTypes() throws {
        #expect(
            try JSONValue.parse("[true, 1, 1.5, null, \"1\"]") == .array([.bool(true), .integer(1), .number(1.5), .null, .string("1")]))
        #expect(JSONValue.number(2).typeNames.contains("integer"))
        #expect(!JSONValue.bool(true).typeNames.contains("integer"))
    }

    @Test func bodiesTheSchemaDescribesPass() throws {
        let id = "6f1c2a9e-3b7d-4c1e-9a55-2d0f8e4b7c10"
        for body in [
            #"{"id": "\#(id)", "name": "abc"}"#,
            #"{"id": "\#(id)", "name": "abc", "size": null, "kind": "b", "at": "2026-11-30T10:00:00Z", "on": "2024-02-29"}"#,
            #"{"id": "\#(id)", "name": "abc", "at": "2026-11-30T10:00:00.123+01:00", "tags": [], "extra": {"x": 1, "y": 2}}"#,
            #"{"id": "\#(id)", "name": "abc", "open": {"a": true, "anything": [1]}, "either": 4, "fixed": 3.0, "size": 10}"#,
        ] {
            #expect(try problems(body) == [], "\(body)")
        }
        #expect(try problems(#"{"name": "x", "size": 3}"#, "Both") == [], "allOf closes over the properties of every part")
    }

    @Test func bodiesTheSchemaDoesNotDescribeFailAtTheRightPlace() throws {
        let id = "6f1c2a9e-3b7d-4c1e-9a55-2d0f8e4b7c10"
        let cases: [(String, String, String)] = [
            (#"{"id": "\#(id)", "name": "abc", "colour": "red"}"#, "/colour", "does not describe the property 'colour'"),
            (#"{"id": "\#(id)"}"#, "", "'name' is missing"),
            (#"{"id": "not-a-uuid", "name": "abc"}"#, "/id", "not a valid uuid"),
            (#"{"id": "\#(id)", "name": "abcdef"}"#, "/name", "longer than 5"),
            (#"{"id": "\#(id)", "name": ""}"#, "/name", "shorter than 1"),
            (#"{"id": "\#(id)", "name": "ABC"}"#, "/name", "does not match"),
            (#"{"id": "\#(id)", "name": "abc", "size": "3"}"#, "/size", "expected integer or null"),
            (#"{"id": "\#(id)", "name": "abc", "size": 1.5}"#, "/size", "expected integer or null"),
            (#"{"id": "\#(id)", "name": "abc", "size": true}"#, "/size", "expected integer or null"),
            (#"{"id": "\#(id)", "name": "abc", "size": 11}"#, "/size", "at most 10"),
            (#"{"id": "\#(id)", "name": "abc", "kind": "c"}"#, "/kind", "is not one of"),
            (#"{"id": "\#(id)", "name": "abc", "at": "2026-11-30 10:00"}"#, "/at", "not a valid date-time"),
            (#"{"id": "\#(id)", "name": "abc", "on": "2026-02-29"}"#, "/on", "not a valid date"),
            (#"{"id": "\#(id)", "name": "abc", "tags": ["a", 2]}"#, "/tags/1", "expected string"),
            (#"{"id": "\#(id)", "name": "abc", "extra": {"x": "one"}}"#, "/extra/x", "expected integer"),
            (#"{"id": "\#(id)", "name": "abc", "either": 1.5}"#, "/either", "none of the oneOf"),
            (#"{"id": "\#(id)", "name": "abc", "fixed": 4}"#, "/fixed", "is not 3"),
        ]
        for (body, pointer, message) in cases {
            let found = try problems(body)
            #expect(found.contains { $0.pointer == pointer && $0.message.contains(message) }, "\(body): \(found)")
        }
        #expect(try problems(#"{"name": "x", "size": 3, "more": 1}"#, "Both").map(\.pointer) == ["/more"])
        #expect(try problems(#""x""#, "Strange").map(\.message) == ["the validator does not know the schema keyword 'frobnicate'"])
    }

    @Test func answersAreCheckedForOperationStatusMediaTypeAndBody() {
        let good = Data(#"{"id": "6f1c2a9e-3b7d-4c1e-9a55-2d0f8e4b7c10", "name": "abc"}"#.utf8)
        func check(
            _ method: HTTPMethod = .GET, _ path: String = "/api/v1/things", _ status: HTTPResponseStatus = .ok,
            _ type: HTTPMediaType? = .json, _ body: String? = nil
        ) -> [String] {
            conformance.check(method: method, path: path, status: status, contentType: type, body: body.map { Data($0.utf8) } ?? good)
                .map(\.message)
        }
        #expect(check() == [])
        #expect(check(.GET, "/api/v1/things", .notFound, .json, #"{"error": {"code": "not_found"}}"#) == [])
        #expect(check(.DELETE, "/api/v1/things/42", .noContent, nil, "") == [])
        #expect(check(.DELETE, "/api/v1/things/42", .conflict, .json, #"{"error": {"code": "conflict"}}"#) == [], "4XX")
        #expect(check(.GET, "/api/v1/things/special", .ok, HTTPMediaType(type: "text", subType: "csv"), "a,b\n") == [])
        #expect(check(.GET, "/api/v1/nowhere", .notFound, .json, #"{"error": {"code": "not_found"}}"#) == [])
        #expect(check(.POST, "/api/v1/things", .methodNotAllowed, .json, #"{"error": {"code": "method_not_allowed"}}"#) == [])

        #expect(check(.GET, "/api/v1/things", .internalServerError, .json, "{}").first?.contains("status 500 is not documented") == true)
        #expect(
            check(.GET, "/api/v1/things", .ok, .json, #"{"id": "6f1c2a9e-3b7d-4c1e-9a55-2d0f8e4b7c10", "name": "abc", "secret": 1}"#) == [
                "the document does not describe the property 'secret'"
            ])
        #expect(check(.GET, "/api/v1/things", .ok, .plainText).first?.contains("text/plain is not one the document lists") == true)
        #expect(check(.GET, "/api/v1/things", .ok, .json, "{").first?.contains("not JSON") == true)
        #expect(check(.PUT, "/api/v1/things", .ok) == ["PUT is not documented for this path"])
        #expect(check(.GET, "/api/v1/nowhere") == ["no documented path matches"])
        #expect(check(.DELETE, "/api/v1/things/42", .noContent, .json, "{}") == ["the document describes no body, but there is one"])
        #expect(check(.GET, "/api/v1/things", .notFound, .json, #"{"error": {}}"#) == ["the required property 'code' is missing"])
        #expect(conformance.template(for: "/api/v1/things/special") == "/api/v1/things/special")
        #expect(conformance.template(for: "/api/v1/things/7") == "/api/v1/things/{id}")
    }

    @Test func withAppChecksEveryAPIAnswerFirst() async throws {
        try await withApp { app in
            let recorder = try #require(app.openAPIConformance)
            #expect(app.middleware.resolve().first is OpenAPIConformanceMiddleware, "outermost, so it sees error answers too")
            let admin = try await app.makeUser(.administrator)
            let before = recorder.checked
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: admin.bearer).status == .ok)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/nowhere", headers: admin.bearer).status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
            #expect(recorder.checked == before + 2, "both API answers, and nothing outside the API")
            #expect(recorder.take() == [])

            // An answer the document does not describe is recorded (and would fail the test).
            app.delete("api", "v1", "me") { _ in ["surprise": true] }
            #expect(try await app.testing().sendRequest(.DELETE, "/api/v1/me", headers: admin.bearer).status == .ok)
            #expect(recorder.take().map(\.message) == ["DELETE is not documented for this path"])

            // The served document, through the function the middleware uses: an extra
            // property, or a status it does not list for the operation, is a violation.
            let me = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: admin.bearer)
            var leaked = me.object
            leaked["password_hash"] = "$2b$04$…"
            let body = try JSONSerialization.data(withJSONObject: leaked)
            let served = try OpenAPIConformance.served.get()
            #expect(
                served.check(method: .GET, path: "/api/v1/me", status: .ok, contentType: .json, body: body).map(\.pointer) == [
                    "/password_hash"
                ])
            #expect(
                served.check(method: .GET, path: "/api/v1/me", status: .ok, contentType: .json, body: Data(me.body.readableBytesView)) == []
            )
            #expect(
                served.check(method: .GET, path: "/api/v1/me", status: .conflict, contentType: .json, body: Data("{}".utf8))
                    .first?.message.contains("status 409 is not documented") == true)
            #expect(recorder.take() == [])
        }
    }
}

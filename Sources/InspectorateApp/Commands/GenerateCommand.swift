import InspectorateCore
import Vapor

/// `inspectorate generate`: a seeded synthetic data set for benchmarks at scale.
struct GenerateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "organisations", help: "How many fictitious organisations (default 25000)") var organisations: Int?
        @Option(name: "criteria", help: "Criteria in the framework (default 100)") var criteria: Int?
        @Option(name: "seed", help: "The same seed gives the same files (default 2009)") var seed: Int?
        @Option(name: "out", help: "Folder to write framework.yaml, organisations.csv and judgements.csv into (default ./data/synthetic)")
        var out: String?
    }
    var help: String { "Write a seeded synthetic framework, organisations and judgements for benchmarks; changes no database" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = SyntheticData(
            organisations: signature.organisations ?? 25_000, criteria: signature.criteria ?? 100,
            seed: UInt64(signature.seed ?? 2009))
        guard data.organisations > 0, data.organisations <= 1_000_000 else {
            throw FieldError("organisations", "give between 1 and 1,000,000")
        }
        guard data.criteria > 0, data.criteria <= 1_000 else { throw FieldError("criteria", "give between 1 and 1,000") }
        let folder = URL(fileURLWithPath: signature.out ?? "./data/synthetic")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.frameworkYAML().write(to: folder.appendingPathComponent("framework.yaml"), atomically: true, encoding: .utf8)
        try Self.write(folder.appendingPathComponent("organisations.csv")) { try data.organisationsCSV($0) }
        let bar = context.console.progressBar(title: "Writing \(data.organisations * data.criteria) judgements")
        bar.start()
        try Self.write(folder.appendingPathComponent("judgements.csv")) { write in
            try data.judgementsCSV(write) { done in bar.activity.currentProgress = Double(done) / Double(data.organisations) }
        }
        bar.succeed()
        let path = folder.path
        context.console.output(
            """
            Wrote \(path)/framework.yaml (\(data.frameworkReference)), organisations.csv (\(data.organisations)) and judgements.csv (\(data.organisations * data.criteria) rows).
            Load them with:
              inspectorate framework import \(path)/framework.yaml
              inspectorate orgs import \(path)/organisations.csv
              inspectorate cycle create --code synthetic --title "Synthetic cycle" --framework \(data.frameworkReference) --kind partner_body \\
                  --self-assessment-due 2010-01-31 --fieldwork-start 2010-02-01 --fieldwork-end 2010-02-28 --moderation-due 2010-03-15 --publication 2010-03-31
              inspectorate judgements import synthetic \(path)/judgements.csv
            """.consoleText())
    }

    /// Streams text to a file in chunks, so a file of millions of rows never sits in memory.
    static func write(_ url: URL, _ body: ((String) throws -> Void) throws -> Void) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try body { chunk in try handle.write(contentsOf: Data(chunk.utf8)) }
    }
}

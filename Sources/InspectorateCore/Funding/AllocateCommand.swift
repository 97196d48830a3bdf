/// `inspectorate allocate FILE.csv --budget POUNDS [--damping FRACTION] [--format csv|json]`,
/// as a pure function of its arguments, a file reader and two writers, so that the app's
/// executable can dispatch to it before it builds any server, and tests can run it whole.
///
/// Exit status: 0 written; 1 the round is infeasible (the shortfall named on standard
/// error); 2 a usage error; 3 invalid input (every bad row with its line and column, or
/// the budget or band); 4 the file cannot be read.
public enum AllocateCommand {
    public static let help = """
        Usage: inspectorate allocate FILE.csv --budget POUNDS [--damping FRACTION] [--format csv|json] [--timing [--timing-runs N]]

        Shares a budget among organisations to maximise the sum of w * ln(1 + x / c), each
        allocation between its floor and cap and, with --damping, within that fraction of
        last year's allocation. Allocations are whole pounds and add up to the budget exactly
        (largest remainder, ties to the code that sorts first); the band's limits are whole
        pounds too, rounded inward, so nobody moves more than the fraction, to the pound.

        FILE.csv has a header and one row per organisation:
          organisation  code, like west-midlands (required)
          weight        risk weight, a number > 0 (required)
          scale         pounds at which a pound's value has halved (empty: previous, or budget / n)
          previous      last year's allocation, whole pounds (may be empty)
          floor         least allocation, whole pounds (may be empty)
          cap           greatest allocation, whole pounds (may be empty)

        Options:
          --budget POUNDS       the budget, whole pounds (required)
          --damping FRACTION    nobody moves more than this fraction from previous, 0 <= FRACTION < 1
          --format csv|json     output format (default csv)
          --timing              print the time taken by each stage to standard error
          --timing-runs N       also solve N more times and print the median (solve_warm_us)
          -h, --help            show this text

        Output: one row per organisation (organisation, allocation, then the explanation:
        change from previous, unconstrained optimum, the binding constraint, marginal value,
        shadow price, bounds and the waterfall from last year), then a summary with lambda,
        the value of the last pound: in CSV a second table, summary,value, after a blank
        line. JSON: {"lambda", "budget", "organisations": [{same fields}], ...}.

        Exit status: 0 done; 1 infeasible (the shortfall is named); 2 usage; 3 invalid input;
        4 the file cannot be read.
        """

    struct Options {
        var file: String?
        var budget: String?
        var damping: String?
        var format = AllocationReport.Format.csv
        var timing = false
        var timingRuns = 0
        var help = false
    }

    /// - Parameter arguments: what follows the program's name; a leading `allocate` is skipped.
    public static func run(
        arguments: [String], readFile: (String) throws -> [UInt8], write: (String) -> Void,
        writeError: (String) -> Void
    ) -> Int32 {
        let options: Options
        do {
            options = try parse(arguments.first == "allocate" ? Array(arguments.dropFirst()) : arguments)
        } catch let error as FieldError {
            writeError("inspectorate allocate: \(error.message)\nRun `inspectorate allocate --help` for usage.\n")
            return 2
        } catch {
            writeError("inspectorate allocate: \(error)\n")
            return 2
        }
        if options.help {
            write(help + "\n")
            return 0
        }
        guard let file = options.file, let budgetText = options.budget else {
            writeError("inspectorate allocate: give the file and --budget POUNDS\nRun `inspectorate allocate --help` for usage.\n")
            return 2
        }
        let clock = ContinuousClock()
        var timings: [(String, Duration)] = []
        let start = clock.now
        let budget: Int
        let damping: DampingBand?
        do {
            budget = try FundingRound.parseBudget(budgetText, field: "--budget")
            damping = try options.damping.map { try DampingBand.parse($0, field: "--damping") }
        } catch let error as FieldError {
            writeError("inspectorate allocate: \(error.field): \(error.message)\n")
            return 3
        } catch {
            writeError("inspectorate allocate: \(error)\n")
            return 3
        }
        let bytes: [UInt8]
        do {
            bytes = try readFile(file)
        } catch {
            writeError("inspectorate allocate: cannot read \(file): \(error)\n")
            return 4
        }
        let round: FundingRound
        do {
            round = try FundingCSV.round(bytes, budget: budget, damping: damping)
        } catch let error as FundingInputError {
            writeError("inspectorate allocate: \(file): \(error.description)\n")
            return 3
        } catch let error as CSVStreamReader.Malformed {
            writeError("inspectorate allocate: \(file): \(error.description)\n")
            return 3
        } catch {
            writeError("inspectorate allocate: \(file): \(error)\n")
            return 3
        }
        let read = clock.now
        timings.append(("read", read - start))
        let allocation: FundingAllocation
        do {
            allocation = try round.allocate()
        } catch let error as FundingInfeasible {
            writeError("inspectorate allocate: \(error.description)\n")
            return 1
        } catch {
            writeError("inspectorate allocate: \(error)\n")
            return 1
        }
        let solved = clock.now
        timings.append(("solve", solved - read))
        let report: AllocationReport
        do {
            report = try AllocationReport(allocation: allocation)
        } catch {
            writeError("inspectorate allocate: \(error)\n")
            return 3
        }
        let explained = clock.now
        timings.append(("explain", explained - solved))
        report.write(options.format, to: write)
        timings.append(("write", clock.now - explained))
        if options.timingRuns > 0 {
            // The solve again, warm: the first one in a process also pays for loading code and memory.
            var runs: [Duration] = []
            for _ in 0..<options.timingRuns {
                let started = clock.now
                _ = try? round.allocate()
                runs.append(clock.now - started)
            }
            timings.append(("solve_warm", runs.sorted()[runs.count / 2]))
        }
        if options.timing {
            let fields = timings.map { "\($0.0)_us=\(microseconds($0.1))" }.joined(separator: " ")
            writeError("timing: organisations=\(round.organisations.count) \(fields)\n")
        }
        return 0
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var index = 0
        func value(_ name: String, _ inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw FieldError(name, "\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = argument.hasPrefix("--") ? parts[0] : argument
            let inline = argument.hasPrefix("--") && parts.count == 2 ? parts[1] : nil
            switch name {
            case "-h", "--help": options.help = true
            case "--budget": options.budget = try value(name, inline)
            case "--damping": options.damping = try value(name, inline)
            case "--timing": options.timing = true
            case "--timing-runs":
                let text = try value(name, inline)
                guard let runs = Int(text), runs >= 1, runs <= 1_000 else { throw FieldError(name, "--timing-runs must be from 1 to 1000") }
                options.timing = true
                options.timingRuns = runs
            case "--format":
                let text = try value(name, inline)
                guard let format = AllocationReport.Format(rawValue: text) else {
                    throw FieldError(name, "--format must be csv or json, not \"\(text)\"")
                }
                options.format = format
            default:
                if argument.hasPrefix("-") && argument != "-" { throw FieldError(name, "unknown option \(argument)") }
                if options.file != nil { throw FieldError("file", "give one file, not \(options.file ?? "") and \(argument)") }
                options.file = argument
            }
            index += 1
        }
        return options
    }
}

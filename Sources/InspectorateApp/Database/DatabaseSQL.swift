import Fluent
import InspectorateCore
import SQLKit

extension Database {
    /// This database as SQL. Both drivers the application uses are SQL databases; anything
    /// else is an operator's misconfiguration, reported as such rather than a crash.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw DomainError.unavailable(detail: "Inspectorate runs on SQLite or PostgreSQL only")
            }
            return sql
        }
    }
}

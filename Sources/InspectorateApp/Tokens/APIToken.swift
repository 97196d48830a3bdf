import Fluent
import Vapor

/// A personal API token. Only a SHA-256 of the secret is stored: a copy of the database
/// does not let anyone act as the token's owner.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}

    init(userID: UUID, name: String, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    func isUsable(at instant: Date) -> Bool { revokedAt == nil && instant < expiresAt }
}

struct APITokenDTO: Content {
    var id: UUID
    var name: String
    var createdAt: Date?
    var expiresAt: Date
    var revokedAt: Date?
    var lastUsedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
    }

    init(_ token: APIToken) throws {
        id = try token.requireID()
        name = token.name
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
        lastUsedAt = token.lastUsedAt
    }
}

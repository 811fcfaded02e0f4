/// A model's outcome (`Result<Model, ModelFailure>`) is part of the run's evidence, which is plain `Codable` data: the
/// fitted model, or the reason nothing was fitted, encoded as `{"success": …}` or `{"failure": …}`.
extension Result: @retroactive Encodable where Success: Encodable, Failure: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ResultCodingKeys.self)
        switch self {
        case .success(let value): try c.encode(value, forKey: .success)
        case .failure(let error): try c.encode(error, forKey: .failure)
        }
    }
}

extension Result: @retroactive Decodable where Success: Decodable, Failure: Decodable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ResultCodingKeys.self)
        if let value = try c.decodeIfPresent(Success.self, forKey: .success) {
            self = .success(value)
        } else {
            self = .failure(try c.decode(Failure.self, forKey: .failure))
        }
    }
}

private enum ResultCodingKeys: String, CodingKey { case success, failure }

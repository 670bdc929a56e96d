extension StageRegistry {
    public static let builtin = StageRegistry()
}

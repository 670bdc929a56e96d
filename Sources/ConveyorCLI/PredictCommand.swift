import ArgumentParser
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict")
}

import ConveyorCLI
await ConveyorCommand.main()

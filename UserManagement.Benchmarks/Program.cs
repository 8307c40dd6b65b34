using UserManagement.Benchmarks;

return await BenchmarkCommands.RunAsync(args);

global using Parley.Testing.Postgres;
global using Xunit.Abstractions;

// Fault and cluster tests start relay processes and load the machine: one test at a time gives every test the
// same conditions and keeps the suite's run time predictable on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

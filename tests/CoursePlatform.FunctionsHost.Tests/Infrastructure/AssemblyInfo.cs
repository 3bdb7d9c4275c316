// Every class starts its own host and worker; on a 2-core machine running them one after another is more
// predictable than running them side by side.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Igor.GitHubActions.State;

internal static class StateServiceCollectionExtensions
{
    public static IServiceCollection AddStateStore(this IServiceCollection services)
    {
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<StateOptions>, StateOptionsValidator>();
        services.AddSingleton<IStateStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StateOptions>>().Value;
            return options.Provider switch
            {
                "Sqlite" => new SqliteStateStore(options.Sqlite.Path),
                "Redis" => new RedisStateStore(ConnectRedis(options.Redis.Configuration), options.Redis.KeyPrefix, options.Retention),
                _ => throw new OptionsValidationException(StateOptions.SectionName, typeof(StateOptions),
                    [$"State:Provider '{options.Provider}' is not available in this build (Sqlite is)"]),
            };
        });

        // Each feature takes the port it needs; one adapter object serves them all over one database.
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().QueueItems);
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().Runs);
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().Deliveries);
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().Outbox);
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().Snapshots);
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().DeploymentLinks);
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().DeploymentStatuses);
        services.AddSingleton(sp => sp.GetRequiredService<IStateStore>().StageRuns);
        services.AddSingleton(sp => (IStoreIdentity)sp.GetRequiredService<IStateStore>());
        services.AddSingleton(sp => (IStatePruning)sp.GetRequiredService<IStateStore>());
        services.AddSingleton<StatePruner>();
        services.AddHostedService(sp => sp.GetRequiredService<StatePruner>());
        services.AddSingleton<StoreIdentityMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<StoreIdentityMonitor>());
        return services;
    }

    private static ConnectionMultiplexer ConnectRedis(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);

        // Keep reconnecting while Redis restarts instead of failing start-up or requests for good.
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(options);
    }
}

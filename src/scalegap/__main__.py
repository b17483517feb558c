from scalegap.cli import main

if __name__ == "__main__":  # chapter workers are spawned: importing this module must not run the CLI
    main()
